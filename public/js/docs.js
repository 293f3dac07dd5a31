// Swagger UI renders a few controls without what keyboards and screen readers need: an example
// body that scrolls but cannot take the focus, and the media-type selects and the request body without a name. This
// fills both in as Swagger UI draws them (it re-renders as operations open and close).
(() => {
  const fix = (root) => {
    for (const area of root.querySelectorAll('textarea.body-param__text:not([aria-label])')) {
      area.setAttribute('aria-label', 'Request body');
    }
    for (const block of root.querySelectorAll('.highlight-code > pre:not([tabindex])')) {
      block.tabIndex = 0;
    }
    for (const select of root.querySelectorAll('select:not([aria-label]):not([id])')) {
      const heading = select.closest(
        '.opblock-section-request-body, .responses-wrapper, .parameters-col_description',
      );
      const what = heading?.closest('.responses-wrapper') ? 'Response media type' : 'Request media type';
      select.setAttribute('aria-label', what);
    }
  };
  new MutationObserver(() => fix(document)).observe(document.documentElement, {
    childList: true,
    subtree: true,
  });
  fix(document);
})();

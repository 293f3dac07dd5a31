// Saved estimations, progressive enhancement only: every action here also works without
// JavaScript (delete has its own confirmation page, the server checks the compare selection).
(() => {
  // Delete from the list: a confirm dialog instead of the confirmation page, then the same POST.
  const deleteForm = document.querySelector('[data-delete-form]');
  if (deleteForm) {
    for (const link of document.querySelectorAll('a[data-delete]')) {
      link.addEventListener('click', (event) => {
        const name = link.getAttribute('data-name') || '';
        event.preventDefault();
        if (window.confirm(`Delete “${name}”? This cannot be undone.`)) {
          deleteForm.setAttribute('action', link.getAttribute('data-delete'));
          deleteForm.submit();
        }
      });
    }
  }

  // Compare: say how many are ticked, and stop a submit the server would refuse anyway.
  const compare = document.querySelector('form[data-compare]');
  if (compare) {
    const min = Number(compare.getAttribute('data-min')) || 2;
    const max = Number(compare.getAttribute('data-max')) || 6;
    const status = compare.querySelector('[data-compare-status]');
    const boxes = () => [...compare.querySelectorAll('input[type="checkbox"][name="ids"]')];
    const ticked = () => boxes().filter((box) => box.checked).length;
    const show = (text, isError) => {
      if (!status) return;
      status.textContent = text;
      status.classList.toggle('is-error', Boolean(isError));
    };
    compare.addEventListener('change', () => {
      const n = ticked();
      show(n === 0 ? '' : `${n} selected`, n > max);
    });
    compare.addEventListener('submit', (event) => {
      const n = ticked();
      if (n < min || n > max) {
        event.preventDefault();
        show(
          n < min
            ? `Select at least ${min} estimations to compare (${n} selected).`
            : `Select at most ${max} estimations to compare (${n} selected).`,
          true,
        );
      }
    });
  }
})();

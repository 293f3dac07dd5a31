// The "From SQL or a plan" tab with JavaScript: the paste is read without leaving the page
// (POST /estimate/intake answers JSON when asked), the editor is filled through its
// `pipeline-editor:load` event, and each assumed value and interpretation is put beside the row
// of the node it concerns. Without JavaScript the same form posts and the server renders all this.
(() => {
  const intakeForm = document.querySelector('[data-intake-form]');
  const estimateForm = document.querySelector('[data-estimate-form]');
  if (!intakeForm || !estimateForm) return;
  const textarea = intakeForm.querySelector('textarea[name="script"]');
  const errorsBox = intakeForm.querySelector('[data-intake-errors]');
  const result = document.querySelector('[data-intake-result]');
  const button = intakeForm.querySelector('button[type="submit"]');
  const viewField = estimateForm.querySelector('[data-intake-view]');
  /**
   * The draft's questions and notes (the server's view), kept to annotate the rows each render. The
   * form carries it too, so after a refused Estimate the page comes back with it.
   */
  let view = null;
  try {
    view = viewField?.value ? JSON.parse(viewField.value) : null;
  } catch {
    view = null;
  }

  intakeForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const label = button.textContent;
    button.disabled = true;
    button.textContent = 'Reading…';
    try {
      const res = await fetch(intakeForm.action, {
        method: 'POST',
        body: new URLSearchParams(new FormData(intakeForm)),
        headers: { accept: 'application/json' },
      });
      const data = await res.json();
      if (data.ok) loaded(data);
      else refused(data.errors);
    } catch {
      // Whatever went wrong on the way, the form still works as a plain post.
      intakeForm.submit();
    } finally {
      button.disabled = false;
      button.textContent = label;
    }
  });

  function refused(html) {
    errorsBox.innerHTML = html;
    textarea.setAttribute('aria-invalid', 'true');
    textarea.closest('.field')?.classList.add('field-error');
    for (const item of errorsBox.querySelectorAll('[data-parse-error]')) {
      const at = Object.assign(document.createElement('button'), {
        type: 'button',
        className: 'button-small button-secondary go-to-error',
        textContent: `Go to line ${item.dataset.line}, column ${item.dataset.column}`,
      });
      at.addEventListener('click', () => selectAt(Number(item.dataset.line), Number(item.dataset.column)));
      item.append(' ', at);
    }
    const first = errorsBox.querySelector('[data-parse-error]');
    if (first) selectAt(Number(first.dataset.line), Number(first.dataset.column), false);
    errorsBox.focus();
  }

  /** Puts the textarea's caret on the character at a 1-based line and column (and focuses it). */
  function selectAt(line, column, focus = true) {
    const lines = textarea.value.split('\n');
    let offset = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
    offset += column - 1;
    if (focus) textarea.focus();
    textarea.setSelectionRange(offset, offset + 1);
  }

  function loaded(data) {
    errorsBox.replaceChildren();
    textarea.removeAttribute('aria-invalid');
    textarea.closest('.field')?.classList.remove('field-error');
    result.innerHTML = data.summary;
    view = data.view;
    if (viewField) viewField.value = JSON.stringify(data.view);
    setFields(data.values, data.source);
    estimateForm.hidden = false;
    document.dispatchEvent(new CustomEvent('pipeline-editor:load', { detail: { spec: data.spec } }));
    const summary = result.querySelector('[data-intake-summary]');
    if (summary) {
      summary.tabIndex = -1;
      summary.focus();
    }
  }

  /** The estimate form's own fields (version, state, targets…) and its hidden ones, from the draft. */
  function setFields(values, source) {
    for (const [name, value] of Object.entries(values)) {
      if (name === 'pipelineJson' || name === 'mode') continue;
      const fields = estimateForm.querySelectorAll(`[name="${name}"]`);
      if (fields.length === 0 && name === 'rest') {
        estimateForm.append(Object.assign(document.createElement('input'), { type: 'hidden', name, value }));
      }
      for (const field of fields) {
        if (field.type === 'checkbox') field.checked = value === 'true';
        else if (field.type !== 'hidden' || name === 'rest') field.value = value;
      }
    }
    // The script or plan read, carried to the results and the save as `sql` or `plan`.
    const kept = estimateForm.querySelector('[data-intake-source]');
    if (kept) {
      kept.name = source?.kind ?? 'sql';
      kept.value = source?.text ?? '';
    }
  }

  /** The row a node of the draft is on now (rows may have been added, removed or renamed since). */
  function rowOf(group, nodeId) {
    let pipeline;
    try {
      pipeline = JSON.parse(estimateForm.querySelector('#pipelineJson').value);
    } catch {
      return -1;
    }
    return (pipeline[group] ?? []).findIndex((node) => node.id === nodeId);
  }

  document.addEventListener('pipeline-editor:rendered', (event) => {
    if (!view) return;
    const host = event.target;
    for (const node of view.nodes) {
      const index = rowOf(node.group, node.id);
      if (index < 0) continue;
      const anchor = host.querySelector(`#pe-${node.group}-${index}-id`);
      const row = anchor?.closest('tr');
      if (!row) continue;
      const lines = [...node.notes];
      for (const q of node.questions) {
        const field =
          host.querySelector(`#pe-${node.group}-${index}-${q.field}`) ??
          host.querySelector(`#pe-${node.group}-${index}-extra`);
        // Still the assumed value: marked as one to confirm, not a fact.
        const current = field?.id.endsWith('-extra') ? null : field?.value;
        if (field && (current === null || current === q.assumed)) {
          field.classList.add('assumed');
          const mark = Object.assign(document.createElement('span'), {
            className: 'assumed-mark',
            id: `${field.id}-assumed`,
            textContent: `assumed ${q.assumed}: confirm`,
          });
          if (!host.querySelector(`#${mark.id}`)) field.after(mark);
          const described = field.getAttribute('aria-describedby');
          if (!described?.includes(mark.id))
            field.setAttribute('aria-describedby', `${described ? `${described} ` : ''}${mark.id}`);
          const link = result.querySelector(`[data-question-path="${q.path}"]`);
          if (link) link.setAttribute('href', `#${field.id}`);
        }
        lines.push(`Assumed ${q.label} = ${q.assumedText}: ${q.message}`);
      }
      if (lines.length === 0) continue;
      const note = document.createElement('tr');
      note.className = 'intake-row-note';
      const cell = note.insertCell();
      cell.colSpan = row.cells.length;
      const list = document.createElement('ul');
      for (const text of lines)
        list.append(Object.assign(document.createElement('li'), { textContent: text }));
      cell.append(list);
      row.after(note);
    }
  });
})();

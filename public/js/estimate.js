// Progressive enhancement for the estimate form and results page. Everything works without it:
// the mode radios, the pipeline JSON textarea and plain links do the job on their own. The live
// preview is src/browser/live-estimate.ts, bundled with the server's form rules (public/js/build/).
(() => {
  const form = document.querySelector('[data-estimate-form]');
  if (form) {
    enhanceModes(form);
    const textarea = form.querySelector('#pipelineJson');
    const host = form.querySelector('[data-pipeline-editor]');
    if (textarea && host) enhancePipeline(textarea, host);
  }
  for (const link of document.querySelectorAll('[data-copy-link]')) enhanceCopy(link);
  for (const block of document.querySelectorAll('pre[data-copy]')) addCopyButton(block);
  // After a refused submit, the error summary takes the focus so its links are read first.
  document.querySelector('[data-error-summary]')?.focus();

  /**
   * Shows only the section of the chosen mode. Switching to the pipeline carries the quick form's
   * values over (as the DAG the estimator builds from them), unless the pipeline was edited.
   */
  function enhanceModes(root) {
    const radios = root.querySelectorAll('input[name="mode"]');
    const textarea = root.querySelector('#pipelineJson');
    let carried = textarea?.defaultValue;
    const sync = () => {
      const mode = root.querySelector('input[name="mode"]:checked')?.value ?? 'quick';
      for (const section of root.querySelectorAll('[data-mode-section]')) {
        section.hidden = section.getAttribute('data-mode-section') !== mode;
      }
      // "Edit as a pipeline" (the way without JavaScript) is offered only from the quick form.
      for (const el of root.querySelectorAll('[data-pipeline-draft]')) el.hidden = mode !== 'quick';
    };
    const carryOver = async () => {
      if (!textarea || textarea.value !== carried) return;
      const body = new URLSearchParams(new FormData(root));
      try {
        const res = await fetch('/estimate/pipeline-draft', {
          method: 'POST',
          body,
          headers: { accept: 'application/json' },
        });
        const data = await res.json();
        if (!data.ok || textarea.value !== carried) return;
        document.dispatchEvent(
          new CustomEvent('pipeline-editor:load', { detail: { pipeline: data.pipeline } }),
        );
        carried = textarea.value;
      } catch {
        // The pipeline keeps what it had; the quick form's values are still in their fields.
      }
    };
    for (const radio of radios) {
      radio.addEventListener('change', () => {
        sync();
        if (radio.checked && radio.value === 'pipeline') carryOver();
      });
    }
    sync();
  }

  /** Rows for sources, operators and sinks, kept in step with the JSON textarea. */
  function enhancePipeline(textarea, host) {
    const COLUMNS = {
      sources: [
        ['id', 'Id', 'text'],
        ['kind', 'Kind', ['kafka', 'kinesis', 'filesystem', 'datagen', 'cdc']],
        ['recordsPerSecond', 'Records/s', 'number'],
        ['avgRecordBytes', 'Record bytes', 'number'],
        ['partitions', 'Partitions', 'number'],
      ],
      operators: [
        ['id', 'Id', 'text'],
        [
          'kind',
          'Kind',
          [
            'map',
            'filter',
            'flatmap',
            'project',
            'udf',
            'aggregate',
            'window-aggregate',
            'window-join',
            'interval-join',
            'regular-join',
            'temporal-join',
            'lookup-join',
            'deduplicate',
            'top-n',
          ],
        ],
        ['inputs', 'Inputs', 'list'],
        ['outputRatio', 'Out ratio', 'number'],
      ],
      sinks: [
        ['id', 'Id', 'text'],
        ['kind', 'Kind', ['kafka', 'filesystem', 'jdbc', 'elasticsearch', 'iceberg', 'blackhole']],
        ['inputs', 'Inputs', 'list'],
      ],
    };
    const TEMPLATES = {
      sources: () => ({
        id: `source${Date.now() % 1000}`,
        kind: 'kafka',
        recordsPerSecond: 10000,
        avgRecordBytes: 500,
        partitions: 12,
      }),
      operators: () => ({ id: `op${Date.now() % 1000}`, kind: 'map', inputs: [] }),
      sinks: () => ({ id: `sink${Date.now() % 1000}`, kind: 'kafka', inputs: [] }),
    };
    // Problems the server found inside the pipeline, by JSON path; each is shown on its row's field.
    let rowErrors = [];
    try {
      rowErrors = JSON.parse(host.dataset.pipelineErrors || '[]');
    } catch {
      rowErrors = [];
    }
    const form = textarea.form;
    form?.addEventListener('pipeline-editor:errors', (event) => {
      rowErrors = event.detail?.errors ?? [];
      markErrors();
    });
    /**
     * `pipeline.operators.1.inputs.0` → the field of row 2's inputs; `….window.slideSeconds` → its
     * window's slide; keys without a field of their own → "Other fields".
     */
    const fieldOfPath = (path) => {
      const [, group, index, key, sub] = path.split('.');
      if (!COLUMNS[group] || index === undefined) return null;
      const at = (name) => host.querySelector(`#pe-${group}-${index}-${name}`);
      if (key === undefined) return at('id');
      if (key === 'window') return at(`window-${sub}`) ?? at('window-type') ?? at('extra');
      return at(key) ?? at('extra');
    };
    const markErrors = () => {
      for (const old of host.querySelectorAll('.row-error')) old.remove();
      for (const field of host.querySelectorAll('[aria-invalid]')) {
        field.removeAttribute('aria-invalid');
        field.removeAttribute('aria-describedby');
      }
      const found = [
        ...rowErrors.map(({ path, message }) => [fieldOfPath(path), message]),
        ...Object.entries(localErrors).map(([id, message]) => [host.querySelector(`#${id}`), message]),
      ];
      for (const [field, message] of found) {
        if (!field) continue;
        const id = `${field.id}-error`;
        let note = host.querySelector(`#${id}`);
        if (!note) {
          note = Object.assign(document.createElement('p'), { id, className: 'row-error' });
          field.after(note);
        }
        note.textContent = note.textContent ? `${note.textContent} ${message}` : message;
        field.setAttribute('aria-invalid', 'true');
        field.setAttribute('aria-describedby', id);
      }
    };
    const status = document.createElement('p');
    status.className = 'json-status';
    status.setAttribute('role', 'status');
    host.before(status);
    host.classList.add('pipeline-editor');

    const read = () => {
      try {
        const value = JSON.parse(textarea.value);
        if (value && typeof value === 'object') {
          for (const group of Object.keys(COLUMNS)) if (!Array.isArray(value[group])) value[group] = [];
          return value;
        }
      } catch {
        // shown below
      }
      return null;
    };
    const write = (pipeline) => {
      textarea.value = JSON.stringify(pipeline, null, 2);
      textarea.dispatchEvent(new CustomEvent('pipeline-editor:changed', { bubbles: true }));
    };
    const allIds = (pipeline) =>
      Object.keys(COLUMNS).flatMap((group) => pipeline[group].map((node) => node.id).filter(Boolean));
    // Each kind's own fields (window, TTL, bounds, lookup latency, async, n, peak factor …) come
    // from the schema through the page's bundle (src/browser/pipeline-fields.ts); until it has
    // loaded, or without it, they are edited in "Other fields" as "key=value; …" text.
    const kindFields = (group, kind) => window.pipelineFields?.kindFields(group, kind) ?? [];
    const topKey = (field) => field.key.split('.')[0];
    /** Keys a row edits in its own fields; the rest go to "Other fields". */
    const shown = (group, node) =>
      new Set([...COLUMNS[group].map(([key]) => key), ...kindFields(group, node?.kind).map(topKey)]);
    /** Keys every node of the group may have whatever its kind (kept when the kind changes). */
    const GENERIC = {
      sources: ['id', 'name', 'kind', 'recordsPerSecond', 'avgRecordBytes', 'partitions', 'flinkVertexId'],
      operators: ['id', 'name', 'kind', 'inputs', 'outputRatio', 'flinkVertexId'],
      sinks: ['id', 'name', 'kind', 'inputs', 'flinkVertexId'],
    };
    const extraText = (group, node) =>
      Object.entries(node)
        .filter(([key]) => !shown(group, node).has(key))
        .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
        .join('; ');
    const readExtra = (text) => {
      const out = {};
      for (const part of text.split(';')) {
        const at = part.indexOf('=');
        if (at < 1) continue;
        const key = part.slice(0, at).trim();
        const raw = part.slice(at + 1).trim();
        try {
          out[key] = JSON.parse(raw);
        } catch {
          out[key] = raw;
        }
      }
      return out;
    };

    // Problems found in the page before anything is sent (a value that is not a number), by field id.
    let localErrors = {};
    /** Writes a typed value into the node (`window.x` into its window); false, with a message, when it is not one. */
    const setTyped = (target, field, raw, fieldId) => {
      // Without the bundle: a plain number, or the text as typed (the server then says what is wrong).
      const text = raw.trim();
      const typed = window.pipelineFields?.readField(field, raw) ?? {
        value: text === '' ? undefined : Number.isFinite(Number(text)) ? Number(text) : text,
      };
      if ('message' in typed) {
        localErrors[fieldId] = typed.message;
        markErrors();
        return false;
      }
      delete localErrors[fieldId];
      const [key, sub] = field.key.split('.');
      if (sub !== undefined && !target[key]) target[key] = {};
      const holder = sub === undefined ? target : target[key];
      const name = sub ?? key;
      if (typed.value === undefined) delete holder[name];
      else holder[name] = typed.value;
      markErrors();
      return true;
    };
    /** A new kind keeps the fields every node has and those the new kind takes; a window kind starts with a window. */
    const changeKind = (group, target, kind) => {
      target.kind = kind;
      const keep = new Set([...GENERIC[group], ...kindFields(group, kind).map(topKey)]);
      for (const key of Object.keys(target)) if (!keep.has(key)) delete target[key];
      if (keep.has('window') && !target.window) target.window = { type: 'tumbling', sizeSeconds: 60 };
    };
    /** One labelled field of a kind (a select, a yes/no box or a text box for a number). */
    const kindField = (group, index, node, field, what) => {
      const [key, sub] = field.key.split('.');
      const value = sub === undefined ? node[key] : node[key]?.[sub];
      const fieldId = `pe-${group}-${index}-${sub === undefined ? key : `${key}-${sub}`}`;
      const label = Object.assign(document.createElement('label'), {
        htmlFor: fieldId,
        className: 'kind-field',
      });
      label.append(
        Object.assign(document.createElement('span'), { textContent: field.label }),
        Object.assign(document.createElement('span'), {
          className: 'visually-hidden',
          textContent: ` of ${what}`,
        }),
      );
      let input;
      if (Array.isArray(field.type)) {
        input = document.createElement('select');
        // A blank choice where the field is optional (not a window's type): Flink's default applies.
        if (field.key !== 'window.type') input.append(new Option('default', '', false, value === undefined));
        for (const option of field.type) input.append(new Option(option, option, false, value === option));
      } else if (field.type === 'boolean') {
        input = Object.assign(document.createElement('input'), { type: 'checkbox', checked: value === true });
      } else {
        input = Object.assign(document.createElement('input'), { type: 'text', value: value ?? '' });
        input.inputMode = 'decimal';
      }
      input.id = fieldId;
      input.addEventListener('change', () => {
        const current = read();
        if (!current) return;
        const target = current[group][index];
        if (field.type === 'boolean') {
          if (input.checked) target[key] = true;
          else delete target[key];
        } else if (field.key === 'window.type') {
          // Another window type takes other fields: keep only what both share.
          const { sizeSeconds, time, allowedLatenessSeconds } = target.window ?? {};
          target.window = { type: input.value, time, allowedLatenessSeconds };
          if (input.value === 'session') target.window.gapSeconds = sizeSeconds ?? 60;
          else target.window.sizeSeconds = sizeSeconds ?? 60;
          if (input.value === 'hopping') target.window.slideSeconds = Math.max(1, (sizeSeconds ?? 60) / 6);
          if (input.value === 'cumulate') target.window.stepSeconds = Math.max(1, (sizeSeconds ?? 60) / 6);
          for (const k of Object.keys(target.window))
            if (target.window[k] === undefined) delete target.window[k];
          write(current);
          render();
          return;
        } else if (!setTyped(target, field, input.value, fieldId)) return;
        write(current);
      });
      label.append(input);
      return label;
    };
    /** Fields without a field of their own (a name, a vertex id), as "key=value; …". */
    const extraField = (group, index, node, what) => {
      const extraId = `pe-${group}-${index}-extra`;
      const label = Object.assign(document.createElement('label'), {
        htmlFor: extraId,
        className: 'kind-field kind-field-wide',
      });
      label.append(
        Object.assign(document.createElement('span'), { textContent: 'Other fields' }),
        Object.assign(document.createElement('span'), {
          className: 'visually-hidden',
          textContent: ` of ${what}`,
        }),
      );
      const extra = Object.assign(document.createElement('input'), {
        type: 'text',
        id: extraId,
        value: extraText(group, node),
        placeholder: 'name=Orders; flinkVertexId=…',
      });
      extra.addEventListener('change', () => {
        const current = read();
        if (!current) return;
        const target = current[group][index];
        for (const key of Object.keys(target)) if (!shown(group, target).has(key)) delete target[key];
        Object.assign(target, readExtra(extra.value));
        write(current);
      });
      label.append(extra);
      return label;
    };

    const render = () => {
      localErrors = {};
      const pipeline = read();
      host.replaceChildren();
      if (!pipeline) {
        host.hidden = true;
        status.textContent = 'The JSON below is not valid yet; fix it to edit the pipeline as rows.';
        status.classList.add('bad');
        return;
      }
      host.hidden = false;
      status.textContent = '';
      status.classList.remove('bad');
      for (const [group, columns] of Object.entries(COLUMNS)) {
        const heading = document.createElement('h3');
        heading.textContent = group[0].toUpperCase() + group.slice(1);
        const wrap = document.createElement('div');
        wrap.className = 'table-wrap';
        const table = document.createElement('table');
        const head = table.createTHead().insertRow();
        for (const [, label] of columns) {
          const th = document.createElement('th');
          th.scope = 'col';
          th.textContent = label;
          head.append(th);
        }
        head.append(Object.assign(document.createElement('th'), { scope: 'col', textContent: 'Remove' }));
        const body = table.createTBody();
        pipeline[group].forEach((node, index) => {
          const row = body.insertRow();
          const what = `${group.slice(0, -1)} ${index + 1}`;
          for (const [key, label, type] of columns) {
            const cell = row.insertCell();
            const fieldId = `pe-${group}-${index}-${key}`;
            // Hidden beside the column heading on a wide screen; on a phone the rows stack and it shows.
            const hiddenLabel = Object.assign(document.createElement('label'), {
              htmlFor: fieldId,
              className: 'cell-label',
              textContent: `${label} of ${what}`,
            });
            let input;
            if (type === 'list') {
              // Inputs are chosen from the ids that exist, so a typo cannot name a missing node.
              input = document.createElement('select');
              input.multiple = true;
              input.size = Math.min(4, Math.max(2, allIds(pipeline).length - 1));
              const chosen = Array.isArray(node[key]) ? node[key] : [];
              for (const id of allIds(pipeline)) {
                if (id !== node.id) input.append(new Option(id, id, false, chosen.includes(id)));
              }
              for (const id of chosen) {
                if (!allIds(pipeline).includes(id))
                  input.append(new Option(`${id} (missing)`, id, false, true));
              }
            } else if (Array.isArray(type)) {
              input = document.createElement('select');
              for (const option of type)
                input.append(new Option(option, option, false, node[key] === option));
            } else {
              input = document.createElement('input');
              input.type = 'text';
              if (type === 'number') input.inputMode = 'decimal';
              input.value = node[key] ?? '';
            }
            input.id = fieldId;
            input.addEventListener('change', () => {
              const current = read();
              if (!current) return;
              const target = current[group][index];
              const raw = input.value.trim();
              if (type === 'list') target[key] = [...input.selectedOptions].map((o) => o.value);
              else if (key === 'id') {
                // Renaming a node renames every use of it.
                const old = target.id;
                target.id = raw;
                for (const g of Object.keys(COLUMNS))
                  for (const other of current[g])
                    if (Array.isArray(other.inputs))
                      other.inputs = other.inputs.map((i) => (i === old ? raw : i));
                write(current);
                render();
                return;
              } else if (key === 'kind') {
                changeKind(group, target, raw);
                write(current);
                render();
                return;
              } else if (type === 'number') {
                if (!setTyped(target, { key, label, type: 'amount' }, raw, fieldId)) return;
              } else target[key] = raw;
              write(current);
            });
            cell.append(hiddenLabel, input);
          }
          const actions = row.insertCell();
          actions.className = 'row-actions';
          const remove = Object.assign(document.createElement('button'), {
            type: 'button',
            className: 'button-small button-secondary',
            textContent: 'Remove',
          });
          remove.setAttribute('aria-label', `Remove ${node.id ?? group.slice(0, -1)}`);
          remove.addEventListener('click', () => {
            const current = read();
            if (!current) return;
            current[group].splice(index, 1);
            write(current);
            render();
          });
          actions.append(remove);
          // The kind's own fields, on a line of their own under the row (a wide table stays readable).
          const detailsCell = body.insertRow().insertCell();
          detailsCell.parentElement.className = 'kind-fields';
          detailsCell.colSpan = columns.length + 1;
          const grid = Object.assign(document.createElement('div'), { className: 'kind-fields-grid' });
          for (const field of kindFields(group, node.kind)) {
            const windowType = node.window?.type;
            if (field.windowTypes && !field.windowTypes.includes(windowType)) continue;
            grid.append(kindField(group, index, node, field, what));
          }
          grid.append(extraField(group, index, node, what));
          detailsCell.append(grid);
        });
        wrap.append(table);
        const add = Object.assign(document.createElement('button'), {
          type: 'button',
          className: 'button-small button-secondary',
          textContent: `Add ${group.slice(0, -1)}`,
        });
        add.addEventListener('click', () => {
          const current = read();
          if (!current) return;
          current[group].push(TEMPLATES[group]());
          write(current);
          render();
        });
        host.append(heading, wrap, add);
      }
      markErrors();
      // Others may annotate the rows (public/js/intake.js puts a draft's questions beside them).
      host.dispatchEvent(new CustomEvent('pipeline-editor:rendered', { bubbles: true }));
    };
    textarea.addEventListener('change', render);
    // The kinds' fields come with the page's bundle; if it ran after this script, show them now.
    document.addEventListener('pipeline-fields:ready', render);
    render();
    // A draft from elsewhere (the SQL or plan intake): dispatch
    //   document.dispatchEvent(new CustomEvent('pipeline-editor:load', { detail: { pipeline } }))
    // (or detail: { spec }) and the editor switches to the pipeline form, shows it and previews it.
    document.addEventListener('pipeline-editor:load', (event) => {
      const pipeline = event.detail?.pipeline ?? event.detail?.spec?.pipeline;
      if (!pipeline || typeof pipeline !== 'object') return;
      const radio = document.querySelector('input[name="mode"][value="pipeline"]');
      if (radio) {
        radio.checked = true;
        radio.dispatchEvent(new Event('change', { bubbles: true }));
      }
      write(pipeline);
      render();
    });
  }

  /** Selects a block's text, so Ctrl+C (or the long-press menu) copies it. */
  function selectText(block) {
    const range = document.createRange();
    range.selectNodeContents(block);
    const selection = window.getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
  }

  /**
   * A "Copy" button above a block of options. Without the clipboard API (plain HTTP on a
   * hostname is not a secure context) it selects the text and says how to copy it.
   */
  function addCopyButton(block) {
    const button = Object.assign(document.createElement('button'), {
      type: 'button',
      className: 'button-small button-secondary copy-button',
      textContent: 'Copy',
    });
    button.setAttribute('aria-live', 'polite');
    button.addEventListener('click', async () => {
      try {
        if (!navigator.clipboard) throw new Error('no clipboard');
        await navigator.clipboard.writeText(block.textContent ?? '');
        button.textContent = 'Copied';
      } catch {
        selectText(block);
        button.textContent = 'Selected: press Ctrl+C (⌘C) to copy';
      }
    });
    block.before(button);
  }

  /** "Link to these results" copies the link instead of navigating, where the clipboard allows. */
  function enhanceCopy(link) {
    if (!navigator.clipboard) return;
    link.addEventListener('click', async (event) => {
      event.preventDefault();
      try {
        await navigator.clipboard.writeText(new URL(link.getAttribute('href'), window.location.href).href);
        let note = link.nextElementSibling;
        if (!note?.classList.contains('copied')) {
          note = Object.assign(document.createElement('span'), { className: 'copied' });
          note.setAttribute('role', 'status');
          link.after(note);
        }
        note.textContent = 'Link copied';
      } catch {
        window.location.href = link.getAttribute('href');
      }
    });
  }
})();

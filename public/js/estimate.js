// Progressive enhancement for the estimate form and results page. Everything works without it:
// the mode radios, the pipeline JSON textarea and plain links do the job on their own.
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

  /** Shows only the section of the chosen mode. */
  function enhanceModes(root) {
    const radios = root.querySelectorAll('input[name="mode"]');
    const sync = () => {
      const mode = root.querySelector('input[name="mode"]:checked')?.value ?? 'quick';
      for (const section of root.querySelectorAll('[data-mode-section]')) {
        section.hidden = section.getAttribute('data-mode-section') !== mode;
      }
    };
    for (const radio of radios) radio.addEventListener('change', sync);
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
        ['distinctKeys', 'Keys', 'number'],
        ['stateBytesPerKey', 'State/key', 'number'],
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
    };

    const render = () => {
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
          for (const [key, label, type] of columns) {
            const cell = row.insertCell();
            const fieldId = `pe-${group}-${index}-${key}`;
            const hiddenLabel = Object.assign(document.createElement('label'), {
              htmlFor: fieldId,
              className: 'visually-hidden',
              textContent: `${label} of ${group.slice(0, -1)} ${index + 1}`,
            });
            let input;
            if (Array.isArray(type)) {
              input = document.createElement('select');
              for (const option of type)
                input.append(new Option(option, option, false, node[key] === option));
            } else {
              input = document.createElement('input');
              input.type = 'text';
              if (type === 'number') input.inputMode = 'decimal';
              const value = node[key];
              input.value = type === 'list' ? (Array.isArray(value) ? value.join(', ') : '') : (value ?? '');
            }
            input.id = fieldId;
            input.addEventListener('change', () => {
              const current = read();
              if (!current) return;
              const target = current[group][index];
              const raw = input.value.trim();
              if (type === 'list')
                target[key] =
                  raw === ''
                    ? []
                    : raw
                        .split(',')
                        .map((s) => s.trim())
                        .filter(Boolean);
              else if (type === 'number') {
                if (raw === '') delete target[key];
                else target[key] = Number.isFinite(Number(raw)) ? Number(raw) : raw;
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
    };
    textarea.addEventListener('change', render);
    render();
  }

  /** A "Copy" button above a block of options, where the clipboard is available. */
  function addCopyButton(block) {
    if (!navigator.clipboard) return;
    const button = Object.assign(document.createElement('button'), {
      type: 'button',
      className: 'button-small button-secondary copy-button',
      textContent: 'Copy',
    });
    button.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(block.textContent ?? '');
        button.textContent = 'Copied';
      } catch {
        button.textContent = 'Copy failed: select the text instead';
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
        if (!note || !note.classList.contains('copied')) {
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

// @vitest-environment happy-dom
// Terms added by Ctrl/⌘-click: from a list cell, and from a value of the detail's payload tree.
import { describe, expect, it } from 'vitest';
import { cellColumn, cellTerm, detailTerm } from '../../src/panel/views/query/cell-terms';
import { CORPUS } from './corpus';

const TASK = CORPUS[16]!; // the completed task, carrying the failed file

describe('terms from the list and the detail', () => {
  it('a list cell gives its column term, Alt its negation', () => {
    document.body.innerHTML = '<div class="rows"><div class="row"><div class="cell c-topic"><span id="t">x</span></div><div class="cell c-summary" id="s"></div></div></div>';
    expect(cellColumn(document.getElementById('t'))).toBe('topic');
    expect(cellTerm(TASK, 'topic', false)).toBe('topic:5f0425254b3cd61ae416fa5f');
    expect(cellTerm(TASK, 'category', true)).toBe('-category:app.event.task.updated');
    expect(cellTerm(TASK, 'dir', false)).toBe('dir:in');
    expect(cellTerm(TASK, cellColumn(document.getElementById('s'))!, false)).toBeNull();
  });

  it('a payload value gives path:value, read from the event', () => {
    document.body.innerHTML = `<div class="json"><div class="j-node"><button class="j-toggle"></button><div class="j-children">
      <div class="j-node"><button class="j-toggle"><span class="j-key">content</span></button><div class="j-children">
        <div class="j-line"><span class="j-key">status</span><span class="j-string" id="status">"complete"</span></div>
        <div class="j-node"><button class="j-toggle"><span class="j-key">data</span></button><div class="j-children">
          <div class="j-node"><button class="j-toggle"><span class="j-key">0</span></button><div class="j-children">
            <div class="j-line"><span class="j-key">name</span><span class="j-string" id="name">"userActions compressed.txt"</span></div>
          </div></div></div></div></div></div>
      <div class="j-line"><span class="j-key">category</span><span id="cat">"app.event.task.updated"</span></div>
    </div></div></div>
    <dl class="fields"><dt>Sender</dt><dd id="sender">Test user</dd><dt>Created</dt><dd id="created">x</dd></dl>`;
    expect(detailTerm(TASK, document.getElementById('status'), false)).toBe('content.status:complete');
    expect(detailTerm(TASK, document.getElementById('name'), true)).toBe('-content.data[0].name:"userActions compressed.txt"');
    expect(detailTerm(TASK, document.getElementById('cat'), false)).toBeNull();
    expect(detailTerm(TASK, document.getElementById('sender'), false)).toMatch(/^sender:/);
    expect(detailTerm(TASK, document.getElementById('created'), false)).toBeNull();
  });
});

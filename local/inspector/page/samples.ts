import type { InspectorInfo, SendResult } from '../inspector-types.ts';
import { routes } from '../routes.ts';
import { postJson } from './api.ts';
import { el, pretty } from './dom.ts';

/** Puts a body into the sample editor, to send it again changed ("replay with changes"). */
export type EditAsSample = (command: string, body: string) => void;

/**
 * "Send a sample": every command of the registry, grouped by its family, with its example body to
 * edit; the server posts it to the callback route with the query Tencent appends (and signs it),
 * its EventTime set to the moment it is sent unless "EventTime now" is unticked.
 */
export function setUpSamples(
  info: InspectorInfo,
  parts: { picker: HTMLSelectElement; summary: HTMLElement; body: HTMLTextAreaElement; send: HTMLButtonElement; now: HTMLInputElement; result: HTMLElement },
): EditAsSample {
  const { picker, summary, body, send, now, result } = parts;
  const families = [...new Set(info.commands.map((command) => command.family))];
  picker.replaceChildren(
    ...families.map((family) =>
      el(
        'optgroup',
        { attrs: { label: family } },
        info.commands
          .filter((command) => command.family === family)
          .map((command) => el('option', { text: command.command, attrs: { value: command.command } })),
      ),
    ),
  );
  const show = () => {
    const chosen = info.commands.find((command) => command.command === picker.value);
    summary.textContent = chosen ? `${chosen.kind}: ${chosen.summary}` : '';
    body.value = chosen ? JSON.stringify(chosen.example, null, 2) : '';
    result.textContent = '';
  };
  picker.addEventListener('change', show);
  show();
  send.addEventListener('click', async () => {
    send.disabled = true;
    result.textContent = 'sending…';
    try {
      // The server sets the time fields as the command's definition declares them (example-now.ts).
      const sent = await postJson<SendResult>(routes.sample, { command: picker.value, body: body.value, now: now.checked });
      result.textContent = `HTTP ${sent.status} ${sent.answer}`;
    } catch (error) {
      result.textContent = `not sent: ${(error as Error).message}`;
    } finally {
      send.disabled = false;
    }
  });
  return (command, text) => {
    picker.value = command;
    show();
    body.value = pretty(text);
    body.focus();
  };
}

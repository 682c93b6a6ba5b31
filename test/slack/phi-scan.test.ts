import { describe, expect, it } from 'vitest';
import { phiLeaks } from '../support/phi-scan';

const patient = { name: 'Zelda Quistorp', mrn: 'MRN00044321', phone: '555-010-2000', dob: '1950-02-03' };

describe('phiLeaks (the scan the e2e tests rely on)', () => {
  it('finds an identifier in a channel post, a notification text or a view', () => {
    const leaks = phiLeaks(
      [
        { method: 'chat.postMessage', body: { channel: 'C0COORD01', text: 'FU-1 · ZQ ·4321', blocks: [{ type: 'section', text: { text: 'Call quistorp' } }] } },
        { method: 'chat.update', body: { channel: 'C0COORD01', ts: '1.2', text: 'FU-1 for MRN00044321', blocks: [] } },
        { method: 'chat.postEphemeral', body: { channel: 'C0COORD01', user: 'U1', text: 'Phone 5550102000', blocks: [] } },
        { method: 'views.open', body: { view: { title: { text: 'Note' }, blocks: [{ text: 'born 1950-02-03' }] } } },
      ],
      [patient],
    );
    expect(leaks).toEqual([
      "call 0 chat.postMessage C0COORD01: blocks contains the patient's name",
      "call 1 chat.update C0COORD01: text contains the patient's MRN",
      "call 2 chat.postEphemeral C0COORD01: text contains the patient's phone",
      "call 3 views.open : view contains the patient's date of birth",
    ]);
  });

  it('allows details in the blocks of an ephemeral message and of a DM, where SPEC §6 allows them', () => {
    const blocks = [{ type: 'section', text: { text: 'Zelda Quistorp, MRN00044321, 555-010-2000' } }];
    expect(
      phiLeaks(
        [
          { method: 'chat.postEphemeral', body: { channel: 'C0COORD01', user: 'U1', text: 'Patient details for FU-1', blocks } },
          { method: 'chat.postMessage', body: { channel: 'U0COORD01', text: 'FU-1 is back with you', blocks } },
        ],
        [patient],
      ),
    ).toEqual([]);
  });
});

import assert from 'node:assert/strict';
import { notificationText } from '../../src/core/notification';

describe('notification text', () => {
  it('names Ponder once when the message already starts with it (the crash message)', () => {
    const crash = 'Ponder’s engine process stopped unexpectedly (SIGKILL). It restarts on your next request; "Ponder: Show Logs" has details.';
    assert.equal(notificationText(crash), crash);
    assert.equal(notificationText("Ponder's engine process stopped."), "Ponder's engine process stopped.");
  });
  it('adds the prefix to a message that does not say where it comes from', () => {
    assert.equal(notificationText('The model file is missing.'), 'Ponder: The model file is missing.');
    assert.equal(notificationText('Ponderous input'), 'Ponder: Ponderous input');
  });
});

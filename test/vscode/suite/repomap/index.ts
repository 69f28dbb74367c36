/** Entry for the repository-map runs on test/fixtures/repomap: the trusted run, or (PONDER_TEST_RESTRICTED=1) Restricted Mode. */
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 90_000, color: false, reporter: 'spec' });
  mocha.addFile(path.join(__dirname, process.env.PONDER_TEST_RESTRICTED === '1' ? 'restricted.test.js' : 'repomap.test.js'));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
  });
}

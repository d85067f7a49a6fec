import { expect, launchApp, test, type CountdeckWindow } from './harness';
import { screenshot } from './screenshots';

declare const window: CountdeckWindow;

const USER_SIG = 'eJwtzEELgjAYBuC-8p2LcDrnFDrMxlgiZyzoYyZmCnPGZKbQr0+y9j34e9cf0oyJjK+vkTnp*-_';

test('the connect form validates its fields as you type', async () => {
  const app = await launchApp();
  try {
    const { page } = app;
    await page.getByRole('button', { name: 'Connect account…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Connect to Tencent Cloud Chat' });
    await expect(dialog).toBeVisible();
    await dialog.locator('input[name="sdk-app-id"]').fill('14000abc');
    await expect(dialog.getByRole('alert').first()).toHaveText('The SDKAppID is the number shown in the Tencent Cloud Chat console, such as 1400123456.');
    await dialog.locator('input[name="user-id"]').fill('operator with spaces');
    await expect(dialog.getByText('A UserID has no spaces or control characters.')).toBeVisible();
    await dialog.locator('textarea[name="user-sig"]').fill('not a sig!');
    await expect(dialog.getByText('A UserSig holds only letters, digits and * - _ + / =. Copy it again, whole.')).toBeVisible();
    await dialog.getByLabel('The secret key (development only)').check();
    await dialog.locator('input[name="secret-key"]').fill('abc123');
    await expect(dialog.getByText("The application's secret key is 64 hexadecimal characters (0-9, a-f).")).toBeVisible();
    await expect(dialog.getByText(/Development only/)).toBeVisible();
    await screenshot(page, 'connect-form-invalid');
    await dialog.getByRole('button', { name: 'Connect' }).click();
    await expect(dialog).toBeVisible();
    expect(app.dispatched.filter((call) => call.method === 'connectTencent')).toEqual([]);
  } finally {
    await app.close();
  }
});

test('a failed sign-in shows its reason, and one click brings back the embedded service', async () => {
  const app = await launchApp({ tencentSignInTimeoutMs: 3_000 });
  try {
    const { page } = app;
    await expect(page.getByRole('heading', { name: 'Friday Night Live' })).toBeVisible();
    await page.getByRole('button', { name: 'Connect account…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Connect to Tencent Cloud Chat' });
    await dialog.locator('input[name="sdk-app-id"]').fill('1400000001');
    await dialog.locator('input[name="user-id"]').fill('host_1');
    await dialog.locator('textarea[name="user-sig"]').fill(USER_SIG);
    await expect(dialog.getByText('Countdeck has no keychain to use here, so it keeps the account only until it closes.')).toBeVisible();
    await screenshot(page, 'connect-form');
    await dialog.getByRole('button', { name: 'Connect' }).click();
    await expect(dialog.getByRole('button', { name: 'Connecting…' })).toBeDisabled();
    await expect(dialog.getByRole('alert')).toContainText('Cannot reach Tencent Cloud', { timeout: 15_000 });
    await screenshot(page, 'connect-failed');
    // The UserSig went one way only: nothing the page can read back carries it.
    const readable = await page.evaluate(async () => JSON.stringify([await window.countdeck.getConnection(), await window.countdeck.getSession()]));
    expect(readable).toContain('host_1');
    expect(readable).not.toContain(USER_SIG);

    await dialog.getByRole('button', { name: 'Cancel' }).click();
    const status = page.locator('.status-bar');
    await expect(status).toContainText('Connection failed');
    await expect(status).toContainText('Tencent Cloud');
    await status.getByRole('button', { name: 'Use embedded service' }).click();
    await expect(status).toContainText('Connected');
    await expect(status).toContainText('embedded service');
    await expect(page.getByRole('heading', { name: 'Friday Night Live' })).toBeVisible();
    await expect(page.locator('tr.counter-row[data-key="viewers"] .value-button')).toHaveText('1,284');
  } finally {
    await app.close();
  }
});

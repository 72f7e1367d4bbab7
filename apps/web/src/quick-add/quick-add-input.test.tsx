// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderSignedIn } from '../testing/render.js';
import { QuickAdd } from './quick-add-input.js';

afterEach(cleanup);

const chip = (kind: string) => document.querySelector(`#quick-add-parts [data-kind="${kind}"]`)?.textContent;

describe('quick add', () => {
  it('shows what it understood as chips while you type', async () => {
    renderSignedIn(<QuickAdd />);
    const input = screen.getByLabelText('New task');
    await userEvent.type(input, 'Pay rent every month on the 1st 9am #home !high');
    expect(chip('title')).toBe('Pay rent');
    expect(chip('tag')).toBe('#home');
    expect(chip('priority')).toMatch(/high/i);
    expect(chip('recurrence')).toMatch(/month/i);
    expect(chip('due')).toMatch(/09:00|9:00/);
    expect(screen.getByRole('button', { name: 'Add' }).hasAttribute('disabled')).toBe(false);
  });

  it('shows no chips for a plain title and cannot add an empty one', async () => {
    renderSignedIn(<QuickAdd />);
    expect(screen.getByRole('button', { name: 'Add' }).hasAttribute('disabled')).toBe(true);
    await userEvent.type(screen.getByLabelText('New task'), 'Just a thought');
    expect(document.querySelectorAll('#quick-add-parts .chip')).toHaveLength(0);
  });
});

// Ponder demo: this file has one deliberate problem, underlined in red. Click it, then the lightbulb → Fix with Ponder.

export interface User {
  name: string;
  email?: string;
}

/** The part of the user's e-mail address after "@" ("" when there is none). */
export function emailDomain(user: User): string {
  return user.email.split('@')[1];
}

console.log(emailDomain({ name: 'Ada' }));

/** No signed-in session: pages redirect to /login (thrown by the access guard). */
export class SignInRequired extends Error {
  constructor() {
    super('sign in first');
  }
}

// The login page: the operator's Cardinal (Karaf JAAS) account; the server answers with a session cookie.
import { api } from './api.js';
import { h, clear, field } from './dom.js';

export function loginPage(main, done) {
  const user = h('input', { id: 'login-user', name: 'username', autocomplete: 'username', required: true,
    autocapitalize: 'none', spellcheck: 'false' });
  const password = h('input', { id: 'login-password', name: 'password', type: 'password',
    autocomplete: 'current-password', required: true });
  const error = h('p', { class: 'error', id: 'login-error', role: 'alert' });
  const submit = h('button', { type: 'submit', id: 'login-submit', class: 'primary' }, 'Log in');
  const form = h('form', { class: 'login', 'aria-labelledby': 'login-title', novalidate: true },
    h('h1', { id: 'login-title' }, 'Cardinal console'),
    h('p', { class: 'muted' }, 'Log in with your Cardinal operator account.'),
    field('User name', user), field('Password', password), error, submit);
  form.addEventListener('submit', async e => {
    e.preventDefault();
    error.textContent = '';
    if (!user.value.trim() || !password.value) {
      error.textContent = 'Enter your user name and password.';
      (user.value.trim() ? password : user).focus();
      return;
    }
    submit.disabled = true;
    try {
      const s = await api('POST', '/console/session', { user: user.value.trim(), password: password.value });
      password.value = '';
      done(s);
    } catch (err) {
      password.value = '';
      error.textContent = err.status === 401 ? 'Wrong user name or password.'
        : err.status === 403 ? 'This account may not use the console (it needs the admin or viewer role).'
          : err.message;
      password.focus();
    } finally {
      submit.disabled = false;
    }
  });
  clear(main).append(form);
  user.focus();
}

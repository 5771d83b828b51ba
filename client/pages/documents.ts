// The list of documents the signed-in person can open.
import { api, type User } from '../api';
import { h, type Cleanup } from '../dom';
import { hrefFor } from '../router';
import { appHeader } from './header';
import { t } from '../i18n';

export async function renderDocuments(root: HTMLElement, user: User): Promise<Cleanup> {
  const list = h('ul', { class: 'document-list', id: 'documents' });
  const status = h('p', { class: 'muted', role: 'status' }, t('documents.loading'));
  root.replaceChildren(
    appHeader(user),
    h('main', { id: 'main-content', tabindex: -1, class: 'documents-page' }, h('h1', {}, t('documents.title')), status, list),
  );
  try {
    const documents = await api.documents();
    status.textContent = documents.length ? '' : t('documents.empty');
    status.hidden = documents.length > 0;
    list.replaceChildren(
      ...documents.map((doc) =>
        h('li', { 'data-document-id': doc.id }, h('a', { href: hrefFor({ name: 'document', id: doc.id, section: null }) }, h('span', { class: 'document-title' }, doc.title || doc.id), h('span', { class: 'document-id' }, doc.id))),
      ),
    );
  } catch (error) {
    status.textContent = t('documents.loadFailed', { reason: error instanceof Error ? error.message : String(error) });
    status.classList.add('is-error');
  }
  return () => {};
}

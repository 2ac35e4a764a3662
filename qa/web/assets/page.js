() => {
  // A citation [n] in a reply scrolls the article panel to its passage and marks it (aria-current).
  document.addEventListener('click', (event) => {
    const cite = event.target.closest('#qa-chat a.qa-cite');
    if (!cite) return;
    event.preventDefault();
    const panel = document.querySelector('#qa-article .qa-article');
    const passage = panel && panel.querySelector(cite.getAttribute('href'));
    if (!passage) return;
    panel.querySelectorAll('[aria-current]').forEach((el) => el.removeAttribute('aria-current'));
    passage.setAttribute('aria-current', 'true');
    panel.scrollTop += passage.getBoundingClientRect().top - panel.getBoundingClientRect().top - 40;
    passage.scrollIntoView({block: 'nearest'});
  });

  // The chat's copy button copies a reply's HTML: put it on the clipboard as readable Markdown instead
  // (the phrase in bold, the sentence, then the numbered sources: title · section · paragraph, and the passage).
  const readable = (text) => {
    if (typeof text !== 'string' || !/class="qa-(answer|notfound|notice)/.test(text)) return text;
    const doc = new DOMParser().parseFromString(text, 'text/html');
    const plain = (el) => (el ? el.textContent.replace(/\s+/g, ' ').trim() : '');
    const lines = [];
    const refused = doc.querySelector('.qa-notfound, .qa-notice');
    if (refused) {
      refused.querySelectorAll('br').forEach((br) => br.replaceWith('\n'));
      return refused.textContent.split('\n').map((line) => line.replace(/\s+/g, ' ').trim()).join('\n');
    }
    const phrase = plain(doc.querySelector('.qa-phrase'));
    if (phrase) lines.push(`**${phrase}**`, '');
    lines.push(plain(doc.querySelector('.qa-sentence')));
    const from = plain(doc.querySelector('.qa-from'));
    if (from) lines.push(from);
    const cards = doc.querySelectorAll('.qa-passage');
    if (cards.length) lines.push('', `${plain(doc.querySelector('.qa-evidence-title'))}:`);
    cards.forEach((card) => {
      const meta = card.querySelector('.qa-meta');
      const where = [...meta.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent.trim()).join(' ').trim();
      const label = [plain(meta.querySelector('.qa-source')), where].filter(Boolean).join(' · ');
      lines.push('', `${plain(meta.querySelector('.qa-rank'))} ${label}`, `> ${plain(card.querySelector('.qa-text'))}`);
    });
    return lines.join('\n');
  };
  if (navigator.clipboard && navigator.clipboard.writeText) {
    const write = navigator.clipboard.writeText.bind(navigator.clipboard);
    navigator.clipboard.writeText = (text) => write(readable(text));
  }

  // Gradio's scroll button has an English label its translations lack.
  new MutationObserver(() => {
    document.querySelectorAll('#qa-chat button[aria-label="Scroll down"]').forEach((button) => {
      button.setAttribute('aria-label', '滚动到最新');
      button.title = '滚动到最新';
    });
  }).observe(document.body, {childList: true, subtree: true});
}

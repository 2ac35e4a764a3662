() => {
  // Mark a passage of the article panel as the citation followed (aria-current) and scroll the panel to it.
  window.qaMark = (passage) => {
    const panel = passage.closest('.qa-article');
    panel.querySelectorAll('[aria-current]').forEach((el) => el.removeAttribute('aria-current'));
    passage.setAttribute('aria-current', 'true');
    panel.scrollTop += passage.getBoundingClientRect().top - panel.getBoundingClientRect().top - 40;
    passage.scrollIntoView({block: 'nearest'});
  };

  // A citation [n] in a reply marks its passage in the article panel. A passage of another article than
  // the one shown: the server switches the panel to that article (the hidden #qa-cited-go sends the cited
  // passage's id, then the reply's, from window.__qaCited), and show_cited.js marks it once it is drawn.
  document.addEventListener('click', (event) => {
    const cite = event.target.closest('#qa-chat a.qa-cite');
    if (!cite) return;
    event.preventDefault();
    const panel = document.querySelector('#qa-article .qa-article');
    const passage = panel && panel.querySelector(cite.getAttribute('href'));
    if (passage) {
      window.qaMark(passage);
      return;
    }
    const id = (link) => (link.getAttribute('href') || '').replace('#qa-chunk-', '');
    const reply = cite.closest('[data-testid="bot"], .bot, .message') || cite.parentElement;
    window.__qaCited = [cite, ...reply.querySelectorAll('a.qa-cite')].map(id).join(' ');
    document.getElementById('qa-cited-go')?.click();
  });

  // The chat's copy button copies a reply's HTML: put it on the clipboard as readable Markdown instead
  // (the phrase in bold, the sentence, then the numbered sources: title · section · paragraph, and the
  // passage; a title with a web page as a Markdown link to it).
  const readable = (text) => {
    if (typeof text !== 'string' || !/class="qa-(answer|notfound|notice)/.test(text)) return text;
    const doc = new DOMParser().parseFromString(text, 'text/html');
    const plain = (el) => (el ? el.textContent.replace(/\s+/g, ' ').trim() : '');
    const linked = (el) => {  // its text, each link to a web page in it as [text](address)
      if (!el) return '';
      const box = document.createElement('div');
      box.append(el.cloneNode(true));
      box.querySelectorAll('a[href]').forEach((a) => {
        const url = a.getAttribute('href');
        if (/^https?:\/\//i.test(url)) a.replaceWith(`[${plain(a)}](${url.replace(/\(/g, '%28').replace(/\)/g, '%29')})`);
      });
      return plain(box);
    };
    const lines = [];
    const refused = doc.querySelector('.qa-notfound, .qa-notice');
    if (refused) {
      refused.querySelectorAll('br').forEach((br) => br.replaceWith('\n'));
      return refused.textContent.split('\n').map((line) => line.replace(/\s+/g, ' ').trim()).join('\n');
    }
    const phrase = plain(doc.querySelector('.qa-phrase'));
    if (phrase) lines.push(`**${phrase}**`, '');
    lines.push(plain(doc.querySelector('.qa-sentence')));
    const from = linked(doc.querySelector('.qa-from'));
    if (from) lines.push(from);
    const cards = doc.querySelectorAll('.qa-passage');
    if (cards.length) lines.push('', `${plain(doc.querySelector('.qa-evidence-title'))}:`);
    cards.forEach((card) => {
      const meta = card.querySelector('.qa-meta');
      const where = [...meta.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent.trim()).join(' ').trim();
      const label = [linked(meta.querySelector('.qa-source')), where].filter(Boolean).join(' · ');
      lines.push('', `${plain(meta.querySelector('.qa-rank'))} ${label}`, `> ${plain(card.querySelector('.qa-text'))}`);
    });
    return lines.join('\n');
  };
  if (navigator.clipboard && navigator.clipboard.writeText) {
    const write = navigator.clipboard.writeText.bind(navigator.clipboard);
    navigator.clipboard.writeText = (text) => write(readable(text));
  }

  // The window's title follows the page's heading (its language; the count after an add or remove).
  const heading = document.getElementById('qa-heading');
  if (heading) {
    const retitle = () => {  // the heading's text, not the progress Gradio draws over it meanwhile
      const text = (heading.querySelector('h1')?.textContent || '').trim();
      if (text) document.title = text;
    };
    new MutationObserver(retitle).observe(heading, {childList: true, subtree: true, characterData: true});
  }

  // Gradio's scroll button has an English label it never translates: on a page not in English, give it
  // the table's (qa/web/ui_text.py's scroll_down, filled in by launch.py).
  if (!(document.documentElement.lang || '').startsWith('en')) {
    new MutationObserver(() => {
      document.querySelectorAll('#qa-chat button[aria-label="Scroll down"]').forEach((button) => {
        button.setAttribute('aria-label', QA_SCROLL_DOWN);
        button.title = QA_SCROLL_DOWN;
      });
    }).observe(document.body, {childList: true, subtree: true});
  }
}

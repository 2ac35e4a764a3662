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
}

async () => {
  // After the panel switched to a cited passage's article: mark that passage and scroll the panel to it.
  const frame = () => new Promise(resolve => requestAnimationFrame(resolve));
  await frame(); await frame();
  const passage = document.querySelector('#qa-article .qa-article [aria-current="true"]');
  if (passage && window.qaMark) window.qaMark(passage);
}

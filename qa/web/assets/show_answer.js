async () => {
  const frame = () => new Promise(resolve => requestAnimationFrame(resolve));
  await frame(); await frame();
  const replies = document.querySelectorAll('#qa-chat .bot, #qa-chat [data-testid="bot"]');
  const last = replies[replies.length - 1];
  if (last) {
    const target = last.querySelector('.qa-answer') || last;
    let box = target.parentElement;
    while (box && box.id !== 'qa-chat' &&
           !(box.scrollHeight > box.clientHeight && /(auto|scroll)/.test(getComputedStyle(box).overflowY))) {
      box = box.parentElement;
    }
    if (box && box.id !== 'qa-chat') {
      box.scrollTop += target.getBoundingClientRect().top - box.getBoundingClientRect().top - 40;
    }
    const top = target.getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight - 120) window.scrollBy(0, top - 12);
  }
  const hit = document.querySelector('#qa-article .qa-top');
  const panel = document.querySelector('#qa-article .qa-article');
  if (hit && panel) panel.scrollTop = hit.offsetTop - panel.offsetTop - 40;
}

// A precomputed slider (tools/site_sliders.py): moving it shows the figure drawn for its
// value; the figures load when the slider is first focused.
document.querySelectorAll('.figure-slider').forEach(box => {
  const input = box.querySelector('input[type=range]'), output = box.querySelector('output');
  const image = box.querySelector('img'), figures = JSON.parse(box.dataset.figures);
  const show = () => {
    const figure = figures[input.value], next = new Image();
    input.setAttribute('aria-valuenow', input.value);
    input.setAttribute('aria-valuetext', figure.label);
    output.textContent = figure.label;
    next.src = figure.src;
    next.decode().catch(() => null).then(() => { image.src = figure.src; image.alt = figure.alt; });
  };
  input.addEventListener('input', show);
  input.addEventListener('focus', () => figures.forEach(f => { new Image().src = f.src; }),
                         {once: true});
});

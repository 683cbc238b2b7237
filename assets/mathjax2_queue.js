// The ipywidgets embedder (@jupyter-widgets/html-manager 1.0) typesets widget
// labels with MathJax 2's `MathJax.Hub.Queue`; the site loads MathJax 3, which
// has no Hub. This gives MathJax 3 that one call, so widget labels are typeset
// and no page reports "Cannot read properties of undefined (reading 'Queue')".
// Loaded with `defer` after MathJax and before the widgets render.
if (window.MathJax && !window.MathJax.Hub) {
  window.MathJax.Hub = {
    Queue: (job) => {
      const element = job[2];
      window.MathJax.startup.promise.then(() => window.MathJax.typesetPromise([element]));
    },
  };
}

"""What ipywidgets 8 does not tell a screen reader about the dashboard, added in the page.

ipywidgets 8.1 gives a slider's handle (noUiSlider's `role="slider"`
element) no accessible name: a screen reader says "slider, 0.1", never
"learning rate" (jupyter-widgets/ipywidgets#2650, "ARIA labels, and more
accessibility features", open; noUiSlider has a `handleAttributes` option
that ipywidgets does not pass). Its Image widget has no alt text, and an
HTML widget cannot be made a live region from Python. Nothing in
ipywidgets' Python side sets these attributes, so the smallest fix is a
few lines of JavaScript shipped inside the dashboard, in an Output widget
(whose outputs JupyterLab trusts, so it runs wherever the widget is shown;
it lives in the widget's state, not in the notebook's outputs). It watches
the dashboard and, whenever its content changes:

- names each slider handle after the slider's label (`aria-label`);
- makes the status line a polite live region (`role="status"`), so a
  finished run, a pause or an error is read out without moving the focus;
- gives the picture the text of "the picture in words" as its alt text;
- lets the keyboard open the sections under the picture ("copy as code",
  "the picture in words"): ipywidgets' accordion titles take no focus, so
  they become buttons (Tab to them, Enter or Space to open), and the code's
  text box is named after its title;
- draws a visible focus ring on whatever has the focus: a slider handle
  shows none of its own.

Remove it when ipywidgets names its handles and lets Python set an
image's alt text.
"""

import ipywidgets as widgets

DASHBOARD_CLASS = "nnlib-dashboard"  # the dashboard's outer box
STATUS_CLASS = "nnlib-status"  # the status line (an HTML widget)
WORDS_CLASS = "nnlib-words"  # the picture in words (an HTML widget)

SCRIPT = """
(function label(tries) {
  const board = element.closest('.%(board)s');
  if (!board) {  // the widget is not in the page yet
    if (tries < 100) { setTimeout(() => label(tries + 1), 50); }
    return;
  }
  if (!document.getElementById('nnlib-focus-style')) {
    const style = document.createElement('style');
    style.id = 'nnlib-focus-style';
    style.textContent = '.%(board)s :focus-visible { outline: 2px solid #0072B2; outline-offset: 2px; }';
    document.head.appendChild(style);
  }
  const apply = () => {
    board.querySelectorAll('.widget-slider').forEach(slider => {
      const name = slider.querySelector('.widget-label');
      slider.querySelectorAll('[role="slider"]').forEach(handle => {
        if (name && handle.getAttribute('aria-label') !== name.textContent) {
          handle.setAttribute('aria-label', name.textContent);
        }
      });
    });
    const status = board.querySelector('.%(status)s .widget-html-content');
    if (status && status.getAttribute('role') !== 'status') {
      status.setAttribute('role', 'status');
      status.setAttribute('aria-live', 'polite');
    }
    board.querySelectorAll('.jupyter-widget-Collapse-header').forEach(title => {
      const contents = title.nextElementSibling;
      title.setAttribute('aria-expanded', contents.classList.contains('lm-mod-hidden') ? 'false' : 'true');
      contents.querySelectorAll('textarea').forEach(box => box.setAttribute('aria-label', title.textContent));
      if (title.dataset.nnlibKeys) { return; }
      title.dataset.nnlibKeys = 'yes';
      title.setAttribute('tabindex', '0');
      title.setAttribute('role', 'button');
      title.addEventListener('keydown', event => {
        if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); title.click(); }
      });
      title.addEventListener('click', () => setTimeout(apply, 0));
    });
    const words = board.querySelector('.%(words)s .widget-html-content');
    board.querySelectorAll('img.widget-image').forEach(picture => {
      if (words && picture.alt !== words.textContent) { picture.alt = words.textContent; }
    });
  };
  apply();
  new MutationObserver(apply).observe(board, {childList: true, subtree: true, characterData: true});
})(0);
""" % {"board": DASHBOARD_CLASS, "status": STATUS_CLASS, "words": WORDS_CLASS}


def aria_output():
    """An Output widget that carries SCRIPT: put it inside the dashboard's box.

    Returns
    -------
    ipywidgets.Output
        Empty to the eye; JupyterLab runs its JavaScript when it shows it.
    """
    output = widgets.Output(layout=widgets.Layout(height="0px", overflow="hidden"))
    output.outputs = ({"output_type": "display_data", "metadata": {},
                       "data": {"application/javascript": SCRIPT,
                                "text/plain": "(names the dashboard's sliders for screen readers)"}},)
    return output

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

- names each slider handle after the slider's label (`aria-label`), and
  gives it the value its readout shows (`aria-valuetext`): the learning
  rate's slider moves its exponent, and would say "0.25" at rate 2;
- marks a switched-off slider's handle as such (`aria-disabled`): noise
  and test fraction for the seed data and XOR;
- makes the status line a polite live region (`role="status"`), so a
  finished run, a pause or an error is read out without moving the focus;
- gives the picture the text of "the picture in words" as its alt text;
- lets the keyboard open the sections under the picture ("copy as code",
  "the picture in words"): ipywidgets' accordion titles take no focus, so
  they become buttons (Tab to them, Enter or Space to open), and the code's
  text box is named after its title;
- draws a visible focus ring on whatever has the focus: a slider handle
  shows none of its own;
- says so when the dashboard has lost its kernel. When the kernel
  restarts (Kernel > Restart, or after it died) ipywidgets marks every
  widget `jupyter-widgets-disconnected`, with a small broken-link icon
  each, and the dashboard would go on saying "training…" while nothing
  answers. The status line then says that the cell must be run again, and
  the controls are switched off. (Kernel > Shut Down marks nothing, so
  nothing here can tell; a reopened notebook shows the static picture.)

Remove it when ipywidgets names its handles and lets Python set an
image's alt text.
"""

import json

import ipywidgets as widgets

from ..palette import FOCUS

DASHBOARD_CLASS = "nnlib-dashboard"  # the dashboard's outer box
STATUS_CLASS = "nnlib-status"  # the status line (an HTML widget)
WORDS_CLASS = "nnlib-words"  # the picture in words (an HTML widget)

LOST = ("<span class='nnlib-lost'><b>Disconnected:</b> the kernel restarted, so this dashboard no longer trains. "
        "Run its cell again to get a live one.</span>")

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
    style.textContent = '.%(board)s :focus-visible { outline: 2px solid %(focus)s; outline-offset: 2px; } ' +
      '.%(board)s.jupyter-widgets-disconnected::before, .%(board)s .jupyter-widgets-disconnected::before ' +
      '{ display: none; }';  // one broken-link icon per widget: the status line says it in words
    document.head.appendChild(style);
  }
  const set = (node, name, value) => {
    if (value === null) { node.removeAttribute(name); }
    else if (node.getAttribute(name) !== value) { node.setAttribute(name, value); }
  };
  const apply = () => {
    const lost = board.classList.contains('jupyter-widgets-disconnected');
    board.querySelectorAll('.widget-slider').forEach(slider => {
      const name = slider.querySelector('.widget-label');
      const readout = slider.querySelector('.widget-readout');
      const track = slider.querySelector('.noUi-target');
      if (lost && track) { set(track, 'disabled', ''); }
      if (lost && readout) { set(readout, 'contenteditable', 'false'); }
      slider.querySelectorAll('[role="slider"]').forEach(handle => {
        if (name) { set(handle, 'aria-label', name.textContent); }
        if (readout) { set(handle, 'aria-valuetext', readout.textContent); }
        set(handle, 'aria-disabled', track && track.hasAttribute('disabled') ? 'true' : null);
      });
    });
    const status = board.querySelector('.%(status)s .widget-html-content');
    if (status && status.getAttribute('role') !== 'status') {
      status.setAttribute('role', 'status');
      status.setAttribute('aria-live', 'polite');
    }
    if (lost) {
      if (status && !status.querySelector('.nnlib-lost')) { status.innerHTML = %(lost)s; }
      board.querySelectorAll('button.jupyter-button, select, input').forEach(control => {
        if (!control.disabled) { control.disabled = true; }
      });
    }
    board.querySelectorAll('.jupyter-widget-Collapse-header').forEach(title => {
      const contents = title.nextElementSibling;
      set(title, 'aria-expanded', contents.classList.contains('lm-mod-hidden') ? 'false' : 'true');
      contents.querySelectorAll('textarea').forEach(box => set(box, 'aria-label', title.textContent));
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
  new MutationObserver(apply).observe(board, {childList: true, subtree: true, characterData: true, attributes: true,
                                              attributeFilter: ['class', 'disabled', 'aria-valuetext']});
})(0);
""" % {"board": DASHBOARD_CLASS, "status": STATUS_CLASS, "words": WORDS_CLASS, "lost": json.dumps(LOST),
       "focus": FOCUS}


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

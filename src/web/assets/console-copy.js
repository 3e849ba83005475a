// The console's copy buttons: a button[data-copy] copies the value of the field it names (the API
// keys page's once-shown key) and says so in the [data-copy-status] beside it. Without this script
// the button stays hidden and the field can be selected and copied by hand.
(() => {
  for (const button of document.querySelectorAll('button[data-copy]')) {
    const field = document.getElementById(button.getAttribute('data-copy') ?? '');
    if (!(field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement)) continue;
    const status = button.parentElement?.querySelector('[data-copy-status]');
    const say = (text) => {
      if (status) status.textContent = text;
    };
    button.hidden = false;
    button.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(field.value);
        say('Copied.');
      } catch {
        // No clipboard access (an address that is not https, a refused permission): select it.
        field.focus();
        field.select();
        say('Selected: press Ctrl+C (or ⌘C) to copy.');
      }
    });
  }
})();

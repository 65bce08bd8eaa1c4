// the return page's Print button: a script file, since the pages' Content-Security-Policy allows no inline script
document.querySelectorAll('[data-action="print"]').forEach(b => b.addEventListener('click', () => window.print()));

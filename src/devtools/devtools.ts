// DevTools page: adds the "Spaces" tab. Everything else lives in the panel.
import browser from 'webextension-polyfill';

void browser.devtools.panels.create('Spaces', '/icons/icon16.png', '/src/panel/index.html');

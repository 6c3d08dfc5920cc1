import { mount } from 'svelte';
import App from './App.svelte';
import './styles/tokens.css';
import './styles/base.css';
import { applyTheme, storedTheme } from './lib/theme';

// The last choice, before anything paints; App applies the saved one once the settings are read.
applyTheme(storedTheme());

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

export default mount(App, { target });

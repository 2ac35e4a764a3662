"""The Gradio chat: `chat` the page (Blocks), `handlers` what its events do, `page` and `render` the
pure helpers deciding and rendering what it shows, `assets/` its CSS and JS, `launch` the start-up
(`python app.py`) that mounts it on the `qa.server` app."""

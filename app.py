"""Start the chat: `python app.py` serves the Gradio page, the JSON API (/api) and the
OpenAI-compatible chat (/v1) on 127.0.0.1:7860. The page and its launcher live in `qa/web/`
(`launch.py` reads the settings and serves, `chat.py` lays the page out, `handlers.py` answers)."""

from qa.web.launch import main

if __name__ == "__main__":
    main()

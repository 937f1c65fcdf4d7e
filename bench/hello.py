"""The ceiling: a bare Flask "hello" app, served by gunicorn exactly like the portal.

    gunicorn -w 2 -k gthread --threads 4 bench.hello:app
"""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, World!"

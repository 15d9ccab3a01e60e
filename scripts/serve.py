"""Serves a folder on 127.0.0.1 with the headers that make the page cross-origin isolated.

Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy give the page
SharedArrayBuffer, which lets one run train on every core; Python's plain http.server
cannot send them. Everything is same-origin, so the policies cost nothing else.

    python3 scripts/serve.py DIR PORT
"""

import functools
import http.server
import sys

ISOLATION = {
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Embedder-Policy": "require-corp",
    # Lets a cross-origin-isolated page elsewhere embed this one (embed=1) in an iframe.
    "Cross-Origin-Resource-Policy": "cross-origin",
}


class IsolatedHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm",
                      ".js": "text/javascript", ".mjs": "text/javascript"}

    def end_headers(self):
        for name, value in ISOLATION.items():
            self.send_header(name, value)
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()


def main():
    directory, port = sys.argv[1], int(sys.argv[2])
    handler = functools.partial(IsolatedHandler, directory=directory)
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        server.serve_forever()


if __name__ == "__main__":
    main()

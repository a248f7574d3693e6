# The WSGI half of GatewayDifferentialIT, served by real uWSGI (python3 plugin): answers with its environ as JSON.
# Its Java twin is EnvironJsonApp.java; both emit the same JSON: every str value of the environ (CGI and HTTP_ keys;
# PEP 3333 strings are latin-1 "bytes as chars", written with \u escapes), the body read from wsgi.input as "_body",
# and the JSON again, base64, in the X-Environ header, so that a HEAD answer carries it too.
import base64
import json


def application(environ, start_response):
    body = environ['wsgi.input'].read()
    report = {key: value for key, value in environ.items() if isinstance(value, str)}
    report['_body'] = body.decode('latin-1')
    text = json.dumps(report, sort_keys=True, ensure_ascii=True).encode('ascii')
    start_response('200 OK', [('Content-Type', 'application/json'), ('X-Environ', base64.b64encode(text).decode('ascii'))])
    return [text]

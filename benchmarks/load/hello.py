# The same 13-byte hello for uWSGI's C core with the python3 plugin (run-bench.sh).
def application(environ, start_response):
    start_response('200 OK', [('Content-Type', 'text/plain'), ('Content-Length', '13')])
    return [b'Hello, World!']

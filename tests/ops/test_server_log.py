"""The production server's access log never holds a searched name: the line
gunicorn writes with ``parcours serve``'s format, for requests whose query
string and Referer carry a name, holds the path only."""

from datetime import timedelta
from types import SimpleNamespace

from gunicorn.config import Config
from gunicorn.glogging import Logger

from parcours.ops.management.commands.serve import ACCESS_LOG_FORMAT


def _logged(tmp_path, **environ) -> str:
    config = Config()
    config.set("accesslog", str(tmp_path / "access.log"))
    config.set("access_log_format", ACCESS_LOG_FORMAT)
    logger = Logger(config)
    base = {
        "REQUEST_METHOD": "GET",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.7",
        "HTTP_USER_AGENT": "Firefox",
    }
    response = SimpleNamespace(status="200 OK", sent=512, headers=[])
    request = SimpleNamespace(headers=[])
    logger.access(response, request, {**base, **environ}, timedelta(milliseconds=42))
    for handler in logger.access_log.handlers:
        handler.flush()
    return (tmp_path / "access.log").read_text()


def test_the_access_log_keeps_the_path_not_the_query_nor_the_referer(tmp_path):
    line = _logged(
        tmp_path,
        PATH_INFO="/people/",
        QUERY_STRING="q=Amanuel+Tesfay&sex=male",
        RAW_URI="/people/?q=Amanuel+Tesfay&sex=male",
        HTTP_REFERER="https://parcours.example.org/people/?q=Amanuel+Tesfay",
    )
    assert '"GET /people/" 200 512 42ms' in line
    assert "Amanuel" not in line and "q=" not in line

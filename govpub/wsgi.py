import gc
import os

from django.core.wsgi import get_wsgi_application

from govpub.ops.filemodes import restrict_umask

restrict_umask()  # gunicorn's workers: what the application writes is not world-readable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govpub.settings")
application = get_wsgi_application()

from django.urls import get_resolver  # noqa: E402 - needs the application's settings

from govpub.lexicons.checker import warm_up  # noqa: E402

get_resolver().url_patterns  # noqa: B018 - imports every view module now, not on a worker's first request
warm_up()
gc.freeze()  # what was loaded so far is never collected: the cyclic GC does not touch (and copy) its pages

import os

from django.core.wsgi import get_wsgi_application

from govpub.ops.filemodes import restrict_umask

restrict_umask()  # gunicorn's workers: what the application writes is not world-readable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govpub.settings")
application = get_wsgi_application()

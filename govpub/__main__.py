import sys

from govpub.cli import main

sys.exit(main())

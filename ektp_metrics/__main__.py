import sys

from ektp_metrics.cli import main

sys.exit(main())

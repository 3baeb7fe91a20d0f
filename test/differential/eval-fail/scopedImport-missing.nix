# modern: a missing file is reported like a missing import (2.8 words the failed stat).
scopedImport { } ./does-not-exist.nix

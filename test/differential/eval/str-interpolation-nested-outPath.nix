"${{ outPath = { outPath = "inner"; }; }}"

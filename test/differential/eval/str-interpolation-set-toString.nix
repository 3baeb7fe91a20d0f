"${{ __toString = self: "from toString"; }}"

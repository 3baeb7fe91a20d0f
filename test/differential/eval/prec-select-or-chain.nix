{ }.a.b or { }.c or 4

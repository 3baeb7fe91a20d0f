[ (toString [ [ ] 1 ]) (toString [ ]) (toString [ [ ] ]) (toString [ 1 [ ] ]) (toString [ null null ]) ]

[ (builtins.isNull null) (builtins.isNull 0) (isNull null) (builtins.isNull { }) ]

[ (1 == "1") (null == false) ([ ] == { }) ("" == null) (0 == false) ]

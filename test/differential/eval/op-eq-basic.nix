[ (1 == 1) (1 == 2) ("a" == "a") ("a" == "b") (null == null) (true == true) (true == false) ]

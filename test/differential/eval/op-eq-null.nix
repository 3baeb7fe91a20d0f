[ (null == null) (null != null) ({ } == null) ]

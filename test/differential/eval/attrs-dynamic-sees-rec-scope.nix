rec { k = "key"; ${k} = 1; }

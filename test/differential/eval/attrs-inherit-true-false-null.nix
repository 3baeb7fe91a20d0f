{ inherit true false null; }

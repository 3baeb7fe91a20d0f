"say \"hi\" \\ bye"

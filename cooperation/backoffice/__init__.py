"""The staff back office: the admin pieces every record shares and the staff pages."""

"""In-app notifications (and their e-mail) that every app sends to the people concerned."""

"""/stock in Slack: the stock's health, the forms that record counts, output and shipments, the
spreadsheet upload (a file in a DM with the bot) with its preview, and the .xlsx template."""

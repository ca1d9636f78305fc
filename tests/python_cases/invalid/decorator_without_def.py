@app.get("/")
x = 1

@decorator
@another

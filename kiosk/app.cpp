// app.cpp - placeholder
